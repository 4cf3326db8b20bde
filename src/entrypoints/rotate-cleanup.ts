import { run } from '../rotate/cleanup.js';

await run();
