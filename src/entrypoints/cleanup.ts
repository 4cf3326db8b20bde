import { run } from '../connect/post.js';

await run();
