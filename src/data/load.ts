// Loads a named dataset: finds its files (data dir, the shipped Cora, cache or download), then assembles the Graph.
import { InvalidOptionError, UnknownDatasetError } from '../errors.js';
import { checkOptionNames, type OptionNames } from '../option-names.js';
import { KNOWN_SHA256 } from './checksums.js';
import { obtainFiles, type DatasetFile } from './files.js';
import { linqsFilesFromArchive, linqsGraph } from './linqs.js';
import { PLANETOID_EXTENSIONS, planetoidFileName, planetoidGraph, validatePlanetoidFile, type PlanetoidExtension } from './planetoid.js';
import { LINQS_URL, PLANETOID_URL, resolveSource, withEmbedded, type SourceOptions } from './sources.js';
import { DATASET_NAMES, type DatasetName, type Graph } from './types.js';

export interface LoadOptions extends SourceOptions {
  /** 'planetoid' (default: ind.NAME.* files, the public split) or 'linqs' (NAME.content/.cites, the article's split). */
  format?: 'planetoid' | 'linqs';
  /**
   * Scale each feature row to sum 1, as Kipf's GCN and the PyTorch peers do (default true). The article's code
   * feeds the raw 0/1 word indicators: pass false for its input.
   */
  normalizeFeatures?: boolean;
}

const FORMATS = ['planetoid', 'linqs'] as const;

/** Every option loadDataset() and loadCora() take (see checkOptionNames). */
const LOAD_OPTIONS = { format: true, normalizeFeatures: true, dataDir: true, cacheDir: true, baseUrl: true, download: true, onProgress: true } satisfies OptionNames<LoadOptions>;

export async function loadDataset(name: string, options: LoadOptions = {}): Promise<Graph> {
  checkOptionNames(`loadDataset('${name}')`, options, LOAD_OPTIONS);
  const dataset = name.toLowerCase() as DatasetName;
  if (!DATASET_NAMES.includes(dataset)) throw new UnknownDatasetError(name, DATASET_NAMES);
  const format = options.format ?? 'planetoid';
  if (!FORMATS.includes(format)) throw new InvalidOptionError('format', format, `one of ${FORMATS.join(', ')}`);
  if (format === 'linqs' && dataset === 'pubmed') {
    throw new InvalidOptionError('format', format, "'planetoid' for pubmed (LINQS ships PubMed-Diabetes in another layout)");
  }
  const normalizeFeatures = options.normalizeFeatures ?? true;
  const source = resolveSource(options);
  if (format === 'planetoid') {
    const wanted = planetoidFiles(dataset);
    const files = await obtainFiles(wanted, withEmbedded(source, dataset, wanted.map((f) => f.name)), options.onProgress);
    const byExtension = new Map(PLANETOID_EXTENSIONS.map((ext) => [ext, files.get(planetoidFileName(dataset, ext))!] as const));
    const graph = planetoidGraph(dataset, byExtension, { normalizeFeatures });
    return dataset === 'cora' ? { ...graph, classNames: graph.classNames ?? [...PLANETOID_CORA_CLASSES] } : graph;
  }
  if (source.kind === 'dataDir') {
    const files = await obtainFiles(linqsFiles(dataset), source, options.onProgress);
    return linqsGraph(dataset, { content: files.get(`${dataset}.content`)!, cites: files.get(`${dataset}.cites`)! }, { normalizeFeatures });
  }
  const archive = linqsArchive(dataset);
  const files = await obtainFiles([archive], source, options.onProgress);
  return linqsGraph(dataset, linqsFilesFromArchive(dataset, files.get(archive.name)!, archive.name), { normalizeFeatures });
}

/** Cora with the public Planetoid split by default; `{ format: 'linqs' }` gives the article's files and split. */
export function loadCora(options: LoadOptions = {}): Promise<Graph> {
  return loadDataset('cora', options);
}

/**
 * Cora's topics in the Planetoid files' label order. Those files carry only one-hot labels; each label is matched to
 * its LINQS topic by class size, which differs for every topic (818 Neural_Networks ... 180 Rule_Learning), so the
 * match is unique (test/data/load.test.ts checks the sizes).
 */
export const PLANETOID_CORA_CLASSES = [
  'Theory',
  'Reinforcement_Learning',
  'Genetic_Algorithms',
  'Neural_Networks',
  'Probabilistic_Methods',
  'Case_Based',
  'Rule_Learning',
] as const;

function planetoidFiles(dataset: DatasetName): DatasetFile[] {
  return PLANETOID_EXTENSIONS.map((ext: PlanetoidExtension) => {
    const name = planetoidFileName(dataset, ext);
    return {
      dataset,
      name,
      url: `${PLANETOID_URL}/${name}`,
      sha256: KNOWN_SHA256[`${dataset}/${name}`],
      validate: (bytes, file) => validatePlanetoidFile(ext, bytes, file),
    };
  });
}

/** The extracted files, as a data directory holds them; parsed (and so checked) when the graph is built. */
function linqsFiles(dataset: DatasetName): DatasetFile[] {
  return ['content', 'cites'].map((ext) => ({
    dataset,
    name: `${dataset}.${ext}`,
    url: `${LINQS_URL}/${dataset}.tgz`,
    validate: () => undefined,
  }));
}

function linqsArchive(dataset: DatasetName): DatasetFile {
  const name = `${dataset}.tgz`;
  return {
    dataset,
    name,
    url: `${LINQS_URL}/${name}`,
    sha256: KNOWN_SHA256[`${dataset}/${name}`],
    validate: (bytes, file) => void linqsFilesFromArchive(dataset, bytes, file),
  };
}
