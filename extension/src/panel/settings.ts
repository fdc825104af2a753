// The panel's settings: their types here, their defaults in the settings schema only (schema/plugin.json), which
// JupyterLab's settings editor shows; a setting missing from the schema, or a default of the wrong type, fails to compile.
import schema from '../../schema/plugin.json';
import type { Statistic } from './charts';

export interface PanelSettings {
  showReferences: boolean;
  likeForLikeOnly: boolean;
  pointsKept: number;
  liveRefreshMs: number;
  comparisonStatistic: Statistic;
  comparisonLogScale: boolean;
}

const settings = schema.properties;

/** What the panel uses before (or without) the setting registry: the schema's defaults. */
export const DEFAULT_SETTINGS: PanelSettings = {
  showReferences: settings.showReferences.default,
  likeForLikeOnly: settings.likeForLikeOnly.default,
  pointsKept: settings.pointsKept.default,
  liveRefreshMs: settings.liveRefreshMs.default,
  // The schema's enum is the list of Statistic values; JSON types widen it to string.
  comparisonStatistic: settings.comparisonStatistic.default as Statistic,
  comparisonLogScale: settings.comparisonLogScale.default,
};
