/**
 * The real Kontur.Focus answers captured in March 2020 (fixtures/kontur-focus/), indexed for the emulator.
 *
 * File names are `<inn>.<method>.json` (unpaged methods) and `<inn>_<skip>.<method>.json` (paged ones).
 * Files are listed at start-up but parsed only when a method is first asked for: the paged purchase files
 * weigh megabytes and most runs never touch them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fixturesDir } from '../../../paths.ts';

/** One element of a Focus answer array: identity fields plus the method payload beside them. */
export interface FocusRecord {
  inn?: string;
  ogrn?: string;
  focusHref?: string;
  [key: string]: unknown;
}

export const focusFixturesDir = path.join(fixturesDir, 'kontur-focus');

interface MethodIndex {
  byInn: Map<string, readonly FocusRecord[]>;
  byOgrn: Map<string, readonly FocusRecord[]>;
}

const UNPAGED_FILE = /^(\d{10}|\d{12})\.([A-Za-z]+)\.json$/;
const PAGED_FILE = /^(\d{10}|\d{12})_(\d+)\.([A-Za-z]+)\.json$/;

export class FocusFixtures {
  /** method → inn → file */
  private readonly files = new Map<string, Map<string, string>>();
  /** method → inn → skip → file */
  private readonly pagedFiles = new Map<string, Map<string, Map<number, string>>>();
  private readonly parsed = new Map<string, MethodIndex>();
  /** file → records of the paged files read so far */
  private readonly parsedPages = new Map<string, readonly FocusRecord[]>();
  private knownOgrnSet: Set<string> | undefined;

  constructor(readonly dir: string = focusFixturesDir) {
    for (const name of readdirSync(dir)) this.register(name);
  }

  private register(name: string): void {
    const unpaged = UNPAGED_FILE.exec(name);
    if (unpaged) {
      const [, inn, method] = unpaged as unknown as [string, string, string];
      mapOf(this.files, method).set(inn, path.join(this.dir, name));
      return;
    }
    const paged = PAGED_FILE.exec(name);
    if (paged) {
      const [, inn, skip, method] = paged as unknown as [string, string, string, string];
      mapOf(mapOf(this.pagedFiles, method), inn).set(Number(skip), path.join(this.dir, name));
    }
  }

  /** INNs that have a captured file for this method. */
  inns(method: string): string[] {
    return [...(this.files.get(method)?.keys() ?? [])].sort();
  }

  /** Whether the identifier (INN or OGRN) belongs to a captured company, whatever the method. */
  knows(identifier: string): boolean {
    if (identifier.length === 10 || identifier.length === 12) {
      for (const byInn of this.files.values()) if (byInn.has(identifier)) return true;
      return false;
    }
    return this.knownOgrns().has(identifier);
  }

  /** The captured records for an INN, exactly as the file holds them; undefined when there is no file. */
  byInn(method: string, inn: string): readonly FocusRecord[] | undefined {
    return this.index(method).byInn.get(inn);
  }

  /** The captured records whose own `ogrn` matches (one INN's sibling registrations are not included). */
  byOgrn(method: string, ogrn: string): readonly FocusRecord[] | undefined {
    return this.index(method).byOgrn.get(ogrn);
  }

  /** One captured page of a paged method (fssp, govPurchasesOf*), exactly as the file holds it; parsed once. */
  page(method: string, inn: string, skip: number): readonly FocusRecord[] | undefined {
    const file = this.pagedFiles.get(method)?.get(inn)?.get(skip);
    if (file === undefined) return undefined;
    let records = this.parsedPages.get(file);
    if (!records) {
      records = readRecords(file);
      this.parsedPages.set(file, records);
    }
    return records;
  }

  /** INNs that have at least one captured page of this paged method. */
  pagedInns(method: string): string[] {
    return [...(this.pagedFiles.get(method)?.keys() ?? [])].sort();
  }

  private index(method: string): MethodIndex {
    let index = this.parsed.get(method);
    if (!index) {
      index = { byInn: new Map(), byOgrn: new Map() };
      for (const [inn, file] of this.files.get(method) ?? []) {
        const records = readRecords(file);
        index.byInn.set(inn, records);
        for (const record of records) {
          if (typeof record.ogrn === 'string') index.byOgrn.set(record.ogrn, [record]);
        }
      }
      this.parsed.set(method, index);
    }
    return index;
  }

  /** Every fixture INN has a `req` file, so its records name every captured OGRN. */
  private knownOgrns(): Set<string> {
    this.knownOgrnSet ??= new Set(this.index('req').byOgrn.keys());
    return this.knownOgrnSet;
  }
}

function mapOf<K, IK, V>(outer: Map<K, Map<IK, V>>, key: K): Map<IK, V> {
  let inner = outer.get(key);
  if (!inner) {
    inner = new Map<IK, V>();
    outer.set(key, inner);
  }
  return inner;
}

function readRecords(file: string): readonly FocusRecord[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`Fixture ${file} is not a JSON array`);
  return Object.freeze(parsed as FocusRecord[]);
}

const loaded = new Map<string, FocusFixtures>();

/** The fixtures of a folder, read once per process: every emulator in the process shares them read-only. */
export function loadFocusFixtures(dir: string = focusFixturesDir): FocusFixtures {
  let fixtures = loaded.get(dir);
  if (!fixtures) {
    fixtures = new FocusFixtures(dir);
    loaded.set(dir, fixtures);
  }
  return fixtures;
}
