// Worker entry of readOffThread (off-thread.ts): reads the one text it was given and answers.
import { parentPort, workerData } from 'node:worker_threads';
import { FeedError } from '../formats/ical/feed.ts';
import { readFeedCopy } from './feed-copy.ts';
import { readLocalFile } from './local-file.ts';
import type { ReaderJob } from './off-thread.ts';

function answer(job: ReaderJob): unknown {
  if (job.kind === 'local-file') return readLocalFile(job.request);
  try {
    return readFeedCopy(job.url, job.text);
  } catch (e) {
    if (e instanceof FeedError) return { feedError: e.message };
    throw e;
  }
}

parentPort?.postMessage(answer(workerData as ReaderJob));
