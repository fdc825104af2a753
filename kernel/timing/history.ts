// The kernel's bounded timing history since it started: every record except the oldest epochs once there are many,
// so a panel that connects late, reloads, or opens in a second tab gets the runs in full.
import type { TimingRecord } from './messages.js';

/** Epoch records kept (about 3 MB of JSON); runs, benchmarks, cell times and device changes are all kept. */
export const EPOCHS_KEPT = 12_000;
/** Records in one history reply; the panel asks again for the rest. */
export const RECORDS_PER_REPLY = 4_000;

export class TimingHistory {
  private records: TimingRecord[] = [];
  private epochs = 0;
  dropped = 0;

  add(records: readonly TimingRecord[]): void {
    for (const record of records) {
      this.records.push(record);
      if (record.message.kind === 'epoch') this.epochs++;
    }
    if (this.epochs > EPOCHS_KEPT) this.dropEpochs(this.epochs - EPOCHS_KEPT);
  }

  get lastSeq(): number {
    return this.records.at(-1)?.seq ?? 0;
  }

  /** Records after `after`, at most `limit`; `more` says whether others follow. */
  after(after = 0, limit = RECORDS_PER_REPLY): { records: TimingRecord[]; more: boolean } {
    let start = this.records.findIndex((record) => record.seq > after);
    if (start < 0) start = this.records.length;
    const records = this.records.slice(start, start + limit);
    return { records, more: start + records.length < this.records.length };
  }

  private dropEpochs(count: number): void {
    let left = count;
    this.records = this.records.filter((record) => {
      if (left === 0 || record.message.kind !== 'epoch') return true;
      left--;
      return false;
    });
    this.epochs -= count;
    this.dropped += count;
  }
}
