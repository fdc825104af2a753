// Whether Dawn's Node binding (the webgpu package) is here: a test's skip reason where it is not, else false.
import { createRequire } from 'node:module';

export const dawnMissing: string | false = (() => {
  try {
    createRequire(import.meta.url).resolve('webgpu');
    return false;
  } catch {
    return 'the webgpu package (Dawn) is not installed';
  }
})();
