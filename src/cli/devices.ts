// `gcnlab devices`: every device, available or not and why, and which one is the default.
import { Command } from 'commander';
import { defaultDevice, listDevices } from '../device/index.js';
import type { Run } from './run.js';

export function devicesCommand(run: Run): Command {
  return new Command('devices')
    .description('list every device, whether it works here and why not, and the default one')
    .option('--json', 'print the list as one JSON line', false)
    .action(async (flags: { json: boolean }) => {
      const devices = await listDevices();
      const chosen = await defaultDevice();
      if (flags.json) {
        run.out(JSON.stringify(devices.map((d) => ({ ...d, default: d.name === chosen.name }))));
        return;
      }
      const width = Math.max(...devices.map((d) => d.name.length));
      for (const d of devices) {
        const status = d.available ? `available    ${d.runsOn}` : `unavailable  ${d.reason}`;
        run.out(`${d.name.padEnd(width)}  ${status}`);
      }
      run.out(`default: ${chosen.name} (${chosen.reason})`);
    });
}
