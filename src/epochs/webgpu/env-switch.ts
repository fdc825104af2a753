// The webgpu epochs' on/off environment switches, each there to time or test a path against the one it replaced.
import { InvalidOptionError } from '../../errors.js';

/** An environment variable that is 'on' (also unset or empty) or 'off'; any other value is refused, named. */
export function envSwitch(name: string): 'on' | 'off' {
  const raw = typeof process === 'undefined' ? undefined : process.env[name];
  if (raw === undefined || raw === '' || raw === 'on') return 'on';
  if (raw === 'off') return 'off';
  throw new InvalidOptionError(name, raw, "'on' or 'off'");
}
