import { run } from '../connect/refresh/program.js';

await run();
