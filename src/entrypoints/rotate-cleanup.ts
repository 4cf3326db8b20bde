import { run } from '../rotate/post.js';

await run();
