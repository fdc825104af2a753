// `gcnlab devices`: every device, available or not and why.
import { listDevices } from '../device/index.js';

export async function devicesCommand(flags: { json: boolean }, out: (line: string) => void): Promise<number> {
  const devices = await listDevices();
  if (flags.json) {
    out(JSON.stringify(devices));
    return 0;
  }
  const width = Math.max(...devices.map((d) => d.name.length));
  for (const d of devices) {
    const status = d.available ? `available    ${d.runsOn}` : `unavailable  ${d.reason}`;
    out(`${d.name.padEnd(width)}  ${status}`);
  }
  return 0;
}
