// Large texts are read in a worker thread of their own (reader-worker.ts), so the engine goes on answering other
// calls meanwhile: a 12.5 MB local event with 100,000 overrides takes a few seconds to read, a 30 MB feed about
// two, and no call should wait for that. Each job is a pure function of its input; the worker ends when it answers.
import { Worker } from 'node:worker_threads';
import type { LocalFileView } from '../../../shared/api.ts';
import { davlensError } from '../../../shared/errors.ts';
import type { FeedCopy } from './feed-copy.ts';
import type { LocalFileRequest } from './local-file.ts';

/** Texts longer than this are read off the engine's thread (starting a worker costs about 100 ms). */
export const OFF_THREAD_CHARS = 1_000_000;

/** The worker entry from source; the desktop bundle names its own (engine-process.ts). */
export const READER_WORKER = new URL('./reader-worker.ts', import.meta.url);

export type ReaderJob = { kind: 'local-file'; request: LocalFileRequest } | { kind: 'feed'; url: string; text: string };

/** What each job answers: a feed that is no calendar answers its FeedError's message. */
export type ReaderAnswer<J extends ReaderJob> = J extends { kind: 'local-file' } ? LocalFileView : FeedCopy | { feedError: string };

/** Runs `job` in a worker thread of its own, ended when it answers (or runs out of its 1 GB heap). */
export function readOffThread<J extends ReaderJob>(job: J, worker: string | URL = READER_WORKER): Promise<ReaderAnswer<J>> {
  const what = job.kind === 'local-file' ? `The file ${job.request.name}` : `The feed at ${job.url}`;
  return new Promise((resolve, reject) => {
    const w = new Worker(worker, { workerData: job, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    let answered = false;
    w.once('message', (answer: ReaderAnswer<J>) => {
      answered = true;
      resolve(answer);
      void w.terminate();
    });
    w.once('error', (e) => reject(davlensError('item-unparsable', `${what} could not be read: ${e.message}.`, 'parse')));
    w.once('exit', (code) => {
      if (!answered) reject(davlensError('item-unparsable', `${what} could not be read (its reader stopped with code ${code}).`, 'parse'));
    });
  });
}
