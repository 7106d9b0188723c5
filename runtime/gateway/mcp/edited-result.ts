/**
 * Tells the requester that the call ran with arguments an approver changed (issue 20, item 1): the
 * result's `_meta["gatehouse/edited"]` carries who edited, why (masked) and both hashes, and a
 * text line is added after the tool's content so a person reading the result sees it too. An
 * error answer carries the same facts in its `data`. Applied to the client's copy only.
 */
import type { EditedFacts } from "../../core/approvals/edited-call";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export const EDITED_META_KEY = "gatehouse/edited";

export function editedText(f: EditedFacts): string {
  return `[gatehouse] This call ran with arguments edited by approver ${f.by} (reason: ${f.reason}); the requested arguments were not run as sent.`;
}

export function withEditNotice(message: unknown, facts: EditedFacts): unknown {
  if (!isObject(message)) return message;
  if (isObject(message.result)) {
    const result = message.result;
    const meta = isObject(result._meta) ? result._meta : {};
    const content = Array.isArray(result.content) ? result.content : [];
    return {
      ...message,
      result: {
        ...result,
        content: [...content, { type: "text", text: editedText(facts) }],
        _meta: { ...meta, [EDITED_META_KEY]: facts },
      },
    };
  }
  if (isObject(message.error)) {
    const data = isObject(message.error.data) ? message.error.data : {};
    return { ...message, error: { ...message.error, data: { ...data, [EDITED_META_KEY]: facts } } };
  }
  return message;
}
