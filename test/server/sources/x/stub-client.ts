/** An X client that answers from the test, with no HTTP: for the X source's parts, one at a time. */
import type { XTweetsPayload, XUser } from '../../../../server/sources/x/api-types.js';
import type { XAnswer, XClient, XEndpoint } from '../../../../server/sources/x/client.js';

export interface StubCall {
  endpoint: XEndpoint;
  /** The query (search, timeline), the username (user) or the ids (lookup). */
  args: unknown;
}

type Answer<T> = T | Error | Promise<XAnswer<T>>;

/** Answers, per endpoint, in order; an endpoint with no answer left answers an empty page. */
export function stubClient(answers: Partial<Record<XEndpoint, Answer<unknown>[]>> = {}) {
  const calls: StubCall[] = [];
  function answer<T>(endpoint: XEndpoint, args: unknown, empty: T): Promise<XAnswer<T>> {
    calls.push({ endpoint, args });
    const next = answers[endpoint]?.shift() as Answer<T> | undefined;
    if (next instanceof Error) return Promise.reject(next);
    if (next instanceof Promise) return next;
    return Promise.resolve({ body: next ?? empty });
  }
  const client: XClient = {
    searchRecent: (query) => answer<XTweetsPayload>('search', query, { meta: { result_count: 0 } }),
    userTimeline: (userId, query) =>
      answer<XTweetsPayload>('timeline', { userId, ...query }, { meta: { result_count: 0 } }),
    userByUsername: (username) => answer<{ data?: XUser }>('user', username, {}),
    lookupTweets: (ids) => answer<XTweetsPayload>('lookup', [...ids], {}),
  };
  return { client, calls, callsTo: (endpoint: XEndpoint) => calls.filter((c) => c.endpoint === endpoint) };
}
