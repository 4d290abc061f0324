/**
 * Entry point of the notification HTTP worker (worker-http-client.ts): the ordinary clients, built
 * from the options the engine thread passed, answering the requests that arrive on the port.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createHttpClient } from './http-client.js';
import type { HttpClientOptions } from './http-client.js';
import { serveHttpClients } from './worker-http-client.js';

if (parentPort) serveHttpClients(parentPort, (workerData as readonly HttpClientOptions[]).map((o) => createHttpClient(o)));
