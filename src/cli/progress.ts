// Progress bars on stderr (only when it is a terminal), so stdout stays clean for --json.
import cliProgress from 'cli-progress';

export interface Progress {
  update(value: number, label: string): void;
  stop(): void;
}

export function progressBar(total: number, title: string): Progress {
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${title} [{bar}] {value}/{total} {label}`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return {
    update: (value, label) => bar.update(value, { label }),
    stop: () => bar.stop(),
  };
}
