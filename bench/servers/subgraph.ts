/**
 * The subgraph as npm start runs it (configuration from the environment, every module, the HTTP app), in a child of
 * the benchmark, answering CPU and memory questions over IPC (bench/servers/ipc.ts).
 */
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/app/config.ts';
import { createServices } from '../../src/app/services.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { announce, answerStats } from './ipc.ts';

const config = loadConfig();
const services = createServices(config, createLogger(config.logLevel));
await services.cache.connect();
const { httpServer, runtime } = await createHttpApp(services);
await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
services.start(runtime);
answerStats();
announce(`http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`);
