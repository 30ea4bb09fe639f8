// One request at a time to the server, in the order asked, each counted for the collection that sent it.
//
// Sync fetches collection N+1 while it parses and stores collection N, but it never sends two requests at
// once: Radicale 3.1 answered four calendar-query REPORTs sent together in 3.5 s where one after the other
// took 1.4 s (Python threads contending for one interpreter lock), and hosted servers rate-limit parallel
// clients. A lane keeps the server busy with exactly one request: the next one is sent the moment the
// previous answer has been read, before the client starts working on that answer.
import type { RequestMeter } from './http.ts';
import type { Requester } from './session.ts';

export class RequestLane {
  private readonly via: Requester;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(via: Requester) {
    this.via = via;
  }

  /** A Requester whose requests wait their turn in this lane and count into `meter`. */
  requester(meter: RequestMeter): Requester {
    return {
      trace: this.via.trace,
      request: (req) => {
        const turn = this.tail.then(() => this.via.request({ ...req, meter }));
        this.tail = turn.catch(() => undefined);
        return turn;
      },
    };
  }
}
