import { run } from '../refresh/program.js';

await run();
