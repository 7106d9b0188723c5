/**
 * The demo `customers` server's records: synthetic people whose fields look like real personal
 * data (Luhn-valid test card numbers, SSN-shaped numbers, e-mail addresses) so the gateway's
 * masking is visible in the walkthrough. None of it belongs to anyone: the card numbers are the
 * card networks' published test numbers, the e-mail domain is reserved (RFC 2606).
 */
export interface CustomerRecord {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly ssn: string;
  readonly cardNumber: string;
  readonly plan: "free" | "team" | "enterprise";
  readonly since: string;
}

const SEED: readonly CustomerRecord[] = [
  {
    id: "c-1001",
    name: "Ada Lovelace",
    email: "ada.lovelace@example.com",
    ssn: "219-45-3301",
    cardNumber: "4111 1111 1111 1111",
    plan: "enterprise",
    since: "2021-03-14",
  },
  {
    id: "c-1002",
    name: "Grace Hopper",
    email: "grace.hopper@example.com",
    ssn: "457-55-5462",
    cardNumber: "5555 5555 5555 4444",
    plan: "team",
    since: "2022-07-01",
  },
  {
    id: "c-1003",
    name: "Alan Turing",
    email: "alan.turing@example.org",
    ssn: "323-41-7788",
    cardNumber: "3782 822463 10005",
    plan: "free",
    since: "2023-01-23",
  },
  {
    id: "c-1004",
    name: "Katherine Johnson",
    email: "k.johnson@example.net",
    ssn: "531-22-1047",
    cardNumber: "6011 1111 1111 1117",
    plan: "enterprise",
    since: "2020-11-30",
  },
  {
    id: "c-1005",
    name: "Edsger Dijkstra",
    email: "ewd@example.com",
    ssn: "404-18-6623",
    cardNumber: "4012 8888 8888 1881",
    plan: "team",
    since: "2024-05-06",
  },
  {
    id: "c-1006",
    name: "Barbara Liskov",
    email: "b.liskov@example.org",
    ssn: "288-73-0412",
    cardNumber: "5105 1051 0510 5100",
    plan: "free",
    since: "2025-02-17",
  },
];

/** Per-process state: deletes are real for the life of the process (all sessions see them). */
export class CustomerStore {
  private readonly records = new Map<string, CustomerRecord>();

  constructor(seed: readonly CustomerRecord[] = SEED) {
    for (const r of seed) this.records.set(r.id, r);
  }

  list(): CustomerRecord[] {
    return [...this.records.values()];
  }

  get(id: string): CustomerRecord | undefined {
    return this.records.get(id);
  }

  /** Deletes the ids that exist; returns which were deleted and which were not found. */
  delete(ids: readonly string[]): { deleted: string[]; notFound: string[] } {
    const deleted: string[] = [];
    const notFound: string[] = [];
    for (const id of ids) (this.records.delete(id) ? deleted : notFound).push(id);
    return { deleted, notFound };
  }
}
