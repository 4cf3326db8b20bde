import { run } from '../connect/main.js';

await run();
