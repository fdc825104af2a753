// Turns a failed backend import into a reason a user can act on.

export function describeFailure(packageName: string, error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  if (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND') {
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(err.message)?.[1] ?? packageName;
    if (missing === packageName || missing.startsWith(`${packageName}/`) || missing.includes(packageName)) {
      return `package ${packageName} is not installed (npm install ${packageName})`;
    }
    return `package ${packageName} is installed but incomplete: ${missing} is missing`;
  }
  const firstLine = String(err?.message ?? error).split('\n')[0];
  return `package ${packageName} failed to load: ${firstLine}`;
}
