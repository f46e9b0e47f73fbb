/** Child process for the SIGKILL test: applies polls in a loop and prints each committed count. */
import { Store } from '../../../server/store/store.js';
import { testPost } from '../../helpers/posts.js';

const store = new Store({ location: process.argv[2]! });
for (let poll = 1; ; poll++) {
  const posts = Array.from({ length: 5 }, (_, i) => testPost(poll * 5 + i, { text: 'x'.repeat(2000) }));
  store.applyPoll('f', 'x', { posts, removals: [], cursor: String(poll) }, poll);
  process.stdout.write(`${poll}\n`);
}
