// Worker entry of readLocalFileOffThread (local-file.ts): reads the one file it was given and answers.
import { parentPort, workerData } from 'node:worker_threads';
import { readLocalFile, type LocalFileRequest } from './local-file.ts';

parentPort?.postMessage(readLocalFile(workerData as LocalFileRequest));
