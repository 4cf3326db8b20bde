import { run } from '../rotate/main.js';

await run();
