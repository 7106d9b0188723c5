/**
 * The pure parts of edit-then-approve (issue 20, item 1): the sealed arguments open only for their
 * own approval and key; the page's form keeps a field left as shown; a result tells the requester
 * about the edit in `_meta` and a text line; an edited call whose sealed arguments do not match
 * the approved hash is refused (ERR_EDIT_UNAVAILABLE). The end-to-end behaviour is tested in
 * test/integration/approvals-edit and test/e2e/approval-edit-page.test.ts.
 */
import { ArgumentSealer } from "../../../runtime/core/approvals/argument-sealer";
import { withEditMaterial } from "../../../runtime/core/approvals/edit-material";
import type { ApprovalRule } from "../../../runtime/core/policy-model/schema";
import { editedCallOf } from "../../../runtime/core/approvals/edited-call";
import type { ApprovalRecord } from "../../../runtime/core/approvals/approval-record";
import { canonicalSha256 } from "../../../runtime/core/policy-model/canonical-json";
import { changesFromForm } from "../../../runtime/gateway/approvals/page-edit-html";
import { withEditNotice } from "../../../runtime/gateway/mcp/edited-result";

const ID = "6f1c1a52-4a8e-4f7e-9a52-0d6f2b7f2a11";
const OTHER = "0b6a2f0e-9d43-4c1e-8f0e-3c2d1b0a9f88";

describe("ArgumentSealer", () => {
  const sealer = ArgumentSealer.fromSecret(Buffer.from("a secret of the gateway, 32+ bytes long"));
  test("opens what it sealed for the same approval only", () => {
    const token = sealer.seal(ID, { ids: ["c-1001"] });
    expect(sealer.open(ID, token)).toEqual({ value: { ids: ["c-1001"] } });
    expect(sealer.open(OTHER, token)).toBeNull();
    expect(ArgumentSealer.ephemeral().open(ID, token)).toBeNull();
    const altered = token.slice(0, -2) + (token.endsWith("A") ? "BB" : "AA");
    expect(sealer.open(ID, altered)).toBeNull();
    expect(token).not.toContain("c-1001");
  });
});

describe("edited calls", () => {
  const sealer = ArgumentSealer.fromSecret(Buffer.from("another secret of the gateway, long"));
  const edited = { ids: ["c-1005"] };
  const record = (args: unknown, hash = canonicalSha256(edited)) =>
    ({
      id: ID,
      maskedArgs: edited,
      sealedArgs: sealer.seal(ID, args),
      edit: {
        by: { oid: "b0b", username: "bob@gatehouse.local" },
        at: new Date().toISOString(),
        reason: "the ticket",
        originalArgsHash: canonicalSha256({ ids: ["c-1001"] }),
        editedArgsHash: hash,
        originalMaskedArgs: { ids: ["c-1001"] },
        changed: ["ids"],
        edits: 1,
      },
    }) as unknown as ApprovalRecord;

  test("the edited arguments run only when they hash to what was approved", () => {
    expect(editedCallOf(record(edited), sealer)).toMatchObject({
      arguments: edited,
      facts: { by: "bob@gatehouse.local" },
    });
    expect(() => editedCallOf(record({ ids: ["c-1009"] }), sealer)).toThrow(
      expect.objectContaining({ code: "ERR_EDIT_UNAVAILABLE" }),
    );
    expect(() => editedCallOf(record(edited), ArgumentSealer.ephemeral())).toThrow(
      expect.objectContaining({ code: "ERR_EDIT_UNAVAILABLE" }),
    );
    expect(() => editedCallOf(record(edited), undefined)).toThrow(
      expect.objectContaining({ code: "ERR_EDIT_UNAVAILABLE" }),
    );
  });

  test("a result says the call ran with edited arguments; an error carries it in data", () => {
    const facts = { by: "bob", reason: "r", originalHash: "a".repeat(64), editedHash: "b".repeat(64) };
    const ok = withEditNotice(
      { jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text: "done" }] } },
      facts,
    ) as {
      result: { content: { text: string }[]; _meta: Record<string, unknown> };
    };
    expect(ok.result.content[0].text).toBe("done");
    expect(ok.result.content[1].text).toContain("edited by approver bob");
    expect(ok.result._meta["gatehouse/edited"]).toEqual(facts);
    const err = withEditNotice({ jsonrpc: "2.0", id: 1, error: { code: -32000, message: "x" } }, facts) as {
      error: { data: Record<string, unknown> };
    };
    expect(err.error.data["gatehouse/edited"]).toEqual(facts);
  });
});

describe("the page's edit form", () => {
  test("a field left as shown is no change; a changed text is a string, any other value JSON", () => {
    const r = {
      maskedArgs: { note: "[REDACTED:credit_card:…1111]", ids: ["c-1001"], n: 2 },
    } as unknown as ApprovalRecord;
    expect(
      changesFromForm(r, { "arg.note": "[REDACTED:credit_card:…1111]", "arg.ids": '["c-1005"]', "arg.n": "2" }),
    ).toEqual({ ids: ["c-1005"] });
    expect(changesFromForm(r, { "arg.note": "new note", "arg.n": "7" })).toEqual({ note: "new note", n: 7 });
    expect(changesFromForm(r, { "arg.other": "x" })).toEqual({});
  });
});

describe("which held calls are editable", () => {
  const sealer = ArgumentSealer.fromSecret(Buffer.from("a third secret of the gateway, long"));
  const held = {
    id: ID,
    kind: "tool-call",
    maskedArgs: { ids: ["c-1001"] },
    toolInfo: { description: "Deletes customers" },
  } as unknown as ApprovalRecord;
  const material = (rule: Partial<ApprovalRule>) =>
    withEditMaterial(held, {
      identity: { oid: "a11ce", tenantId: "t", username: "alice", roles: ["Engineer"], groups: [] } as never,
      args: { ids: ["c-1001"] },
      rule: { id: "delete-customer", ...rule } as ApprovalRule,
      sealer,
      inputSchema: { type: "object" },
    });

  test("a rule's call is editable by default, not with allowEdit false", () => {
    expect(material({})).toMatchObject({ allowEdit: true, sealedArgs: expect.any(String) });
    expect(material({ allowEdit: false })).toMatchObject({ allowEdit: false });
    expect(material({ allowEdit: false }).sealedArgs).toBeUndefined();
  });

  test("a call the requester confirmed is not editable: the edit would run arguments they never confirmed", () => {
    const confirmed = material({ confirm: "requester" });
    expect(confirmed.allowEdit).toBe(false);
    expect(confirmed.sealedArgs).toBeUndefined();
  });
});
