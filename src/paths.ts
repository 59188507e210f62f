import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The project's root folder, for files that ship beside the code (schema/, fixtures/, node_modules assets).
 * This module sits one level below the root both as src/paths.ts and as dist/paths.js.
 */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const schemaDir = path.join(projectRoot, 'schema');
export const fixturesDir = path.join(projectRoot, 'fixtures');
/** Files served to browsers as they are (the autofill widget). */
export const publicDir = path.join(projectRoot, 'public');
