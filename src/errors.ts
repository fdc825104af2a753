// Typed errors of gcnlab: each says what was wrong, with which value, and what to do about it.

/** Base class: every error gcnlab throws on purpose carries a stable `code`. */
export class GcnlabError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnknownDeviceError extends GcnlabError {
  constructor(
    readonly device: string,
    readonly known: readonly string[],
    readonly available: readonly string[],
  ) {
    super(
      'UNKNOWN_DEVICE',
      `unknown device '${device}': gcnlab knows ${known.join(', ')}. Available here: ${available.join(', ') || 'none'}`,
    );
  }
}

export class DeviceUnavailableError extends GcnlabError {
  constructor(
    readonly device: string,
    readonly reason: string,
    readonly available: readonly string[],
  ) {
    super(
      'DEVICE_UNAVAILABLE',
      `device '${device}' is not available: ${reason}. Available: ${available.join(', ') || 'none'}`,
    );
  }
}

export class UnknownDatasetError extends GcnlabError {
  constructor(
    readonly dataset: string,
    readonly known: readonly string[],
  ) {
    super('UNKNOWN_DATASET', `unknown dataset '${dataset}': choose one of ${known.join(', ')}`);
  }
}

export class DataMissingError extends GcnlabError {
  constructor(
    readonly dataset: string,
    readonly missing: readonly string[],
    readonly hint: string,
    /** Why downloading them failed (the first failure's reason, e.g. ECONNREFUSED), where a download was tried. */
    readonly downloadFailure?: string,
  ) {
    super('DATA_MISSING', `dataset '${dataset}' is missing ${missing.join(', ')}: ${hint}`);
  }
}

/** A dataset file whose bytes are not the pinned ones; `fix` says what to do where it came from (a data folder, a download). */
export class ChecksumMismatchError extends GcnlabError {
  constructor(
    readonly file: string,
    readonly expected: string,
    readonly actual: string,
    readonly fix: string,
  ) {
    super('CHECKSUM_MISMATCH', `file '${file}' is corrupt or truncated: SHA-256 ${actual} but expected ${expected}. ${fix}`);
  }
}

/** The download cache cannot take a dataset's files (a file in the way, a folder that cannot be made or written). */
export class CacheDirError extends GcnlabError {
  constructor(
    readonly dir: string,
    readonly dataset: string,
    readonly reason: string,
  ) {
    super(
      'CACHE_DIR',
      `the download cache ${dir} cannot hold ${dataset}'s files: ${reason}. Set GCNLAB_CACHE_DIR (or the cacheDir option) ` +
        `to a folder you can write, or GCNLAB_DATA_DIR to a folder holding ${dataset}/ with its files`,
    );
  }
}

export class DataFormatError extends GcnlabError {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super('DATA_FORMAT', `file '${file}' could not be read: ${detail}`);
  }
}

export class ShapeError extends GcnlabError {
  constructor(
    readonly what: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super('SHAPE', `${what} has shape ${actual} but ${expected} was expected`);
  }
}

/** Arrays handed to CsrMatrix that do not describe a sparse matrix: row pointers that go back, columns outside it. */
export class InvalidMatrixError extends GcnlabError {
  constructor(
    readonly what: string,
    readonly detail: string,
  ) {
    super('INVALID_MATRIX', `${what} is not valid: ${detail}`);
  }
}

/** Dense adjacency (or another allocation) would not fit: refused before trying. */
export class MemoryLimitError extends GcnlabError {
  constructor(
    readonly what: string,
    readonly bytes: number,
    /** The limit passed, or null where the device ran out of memory below any limit gcnlab knows. */
    readonly limitBytes: number | null,
    hint: string,
  ) {
    const limit = limitBytes === null ? 'more than the device had free' : `more than the ${(limitBytes / 2 ** 30).toFixed(2)} GiB allowed`;
    super('MEMORY_LIMIT', `${what} needs ${(bytes / 2 ** 30).toFixed(2)} GiB, ${limit}: ${hint}`);
  }
}

export class InvalidOptionError extends GcnlabError {
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super('INVALID_OPTION', `invalid ${option} ${typeof value === 'number' ? String(value) : JSON.stringify(value)}: expected ${expected}`);
  }
}

/** An options object names an option the function does not have (a typo, most often, which would otherwise be ignored). */
export class UnknownOptionError extends GcnlabError {
  constructor(
    readonly where: string,
    readonly option: string,
    readonly known: readonly string[],
    hint: string,
  ) {
    super('UNKNOWN_OPTION', `${where} has no option '${option}'${hint}; its options are ${known.join(', ')}`);
  }
}

/** An optional package that a feature needs is not installed beside gcnlab. */
export class MissingPackageError extends GcnlabError {
  constructor(
    readonly packageName: string,
    readonly feature: string,
  ) {
    super('MISSING_PACKAGE', `${feature} needs the package ${packageName}, which is not installed: npm install ${packageName}`);
  }
}

/** Something was used after dispose(): which, when, and how to keep it alive long enough. */
export class DisposedError extends GcnlabError {
  constructor(
    readonly what: string,
    readonly when: string,
    readonly fix: string,
  ) {
    super('DISPOSED', `${what} was disposed ${when}; ${fix}`);
  }
}

/** The wasm device's threads could not start or a SIMD call failed on one of them. */
export class ThreadsError extends GcnlabError {
  constructor(readonly reason: string) {
    super('THREADS', `gcnlab wasm threads: ${reason}. Set threads: 1 (or GCNLAB_THREADS=1) to run on the calling thread alone`);
  }
}
