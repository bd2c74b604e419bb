// Label values for metrics: bounded, so no client can grow the series without limit.

/** The label value that stands for every value past a BoundedLabel's limit. */
export const OTHER = 'other';

/**
 * Label values a client chooses (GraphQL operation names): the first `max` distinct values are
 * kept as they are, later new ones become `other`, so a client cannot create series at will.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  value(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return OTHER;
    this.seen.add(value);
    return value;
  }
}

/** `ENDPOINT_RECORD` -> `endpoint_record`: Prometheus label values read in lower case. */
export const lowerLabel = (value: string) => value.toLowerCase();

/** The operation label of a GraphQL operation: its type and name, or its root fields when it has no name. */
export function graphqlOperationLabel(op: { type: string; name: string | null; rootFields: string | null }): string {
  return `${op.type} ${op.name ?? op.rootFields ?? 'anonymous'}`;
}
