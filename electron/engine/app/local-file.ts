// Opening a local .ics or .vcf file: a pure function of its text, so a large file is read in a worker thread
// of its own (local-file-worker.ts) and the engine goes on answering other calls meanwhile: a 12.5 MB event
// with 100,000 overrides takes a few seconds to read, and no call should wait for that.
import { Worker } from 'node:worker_threads';
import type { LocalFileView } from '../../../shared/api.ts';
import { davlensError } from '../../../shared/errors.ts';
import type { Contact } from '../../../shared/models.ts';
import { expandOccurrences, parseCalendarResource, resourceSpan } from '../formats/ical/index.ts';
import { parseVcfFile } from '../formats/vcard/index.ts';

export interface LocalFileRequest {
  name: string;
  content: string;
  tz: string;
}

/** Files larger than this are read off the engine's thread (starting a worker costs about 100 ms). */
export const OFF_THREAD_CHARS = 1_000_000;

/** The worker entry from source; the desktop bundle names its own (engine-process.ts). */
export const LOCAL_FILE_WORKER = new URL('./local-file-worker.ts', import.meta.url);

/** YYYY-MM-DD of a wall-clock millisecond value. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function readLocalFile({ name, content, tz }: LocalFileRequest): LocalFileView {
  if (/\.vcf$/i.test(name) || /^\s*BEGIN:VCARD/i.test(content)) {
    const out = parseVcfFile(content, name, name);
    return { name, kind: 'vcf', events: [], contacts: out.contacts as Contact[], errors: out.errors };
  }
  const parsed = parseCalendarResource(name, content);
  if (!parsed.resource) return { name, kind: 'ics', events: [], contacts: [], errors: parsed.errors };
  // A file is shown from its first event for up to two years (open-ended series would never end).
  const span = resourceSpan(parsed.resource);
  const from = span.start ?? Date.now();
  const to = Math.min(span.end ?? Infinity, from + 731 * 86_400_000);
  const out = expandOccurrences(
    [parsed.resource],
    { from: isoDay(from - 86_400_000), to: isoDay(to + 2 * 86_400_000), tz },
    { displayName: name, url: `file:${name}` },
  );
  return { name, kind: 'ics', events: out.occurrences, contacts: [], errors: [...parsed.errors, ...out.errors] };
}

/** readLocalFile in a worker thread of its own, ended when it answers (or runs out of its 1 GB heap). */
export function readLocalFileOffThread(req: LocalFileRequest, worker: string | URL = LOCAL_FILE_WORKER): Promise<LocalFileView> {
  return new Promise((resolve, reject) => {
    const w = new Worker(worker, { workerData: req, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    let answered = false;
    w.once('message', (view: LocalFileView) => {
      answered = true;
      resolve(view);
      void w.terminate();
    });
    w.once('error', (e) => reject(davlensError('item-unparsable', `The file ${req.name} could not be read: ${e.message}.`, 'parse')));
    w.once('exit', (code) => {
      if (!answered) reject(davlensError('item-unparsable', `The file ${req.name} could not be read (its reader stopped with code ${code}).`, 'parse'));
    });
  });
}
