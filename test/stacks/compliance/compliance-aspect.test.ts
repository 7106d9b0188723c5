import { Testing } from "cdktf";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import {
  ComplianceAspect,
  ComplianceError,
  GATEHOUSE_RULE_PACK,
  addSuppressions,
  evaluateCompliance,
  type ComplianceRule,
} from "../../../stacks/compliance";
import { defaultStack } from "../support/default-stack";
import { nagStack, RG } from "./nag-stack";

const secret = (stackBuild?: (s: KeyVaultSecret) => void) =>
  nagStack((stack) => {
    const s = new KeyVaultSecret(stack, "secret", {
      name: "s",
      keyVaultId: "kv",
      value: "v",
      expirationDate: "2030-01-01T00:00:00Z",
    });
    stackBuild?.(s);
  });

describe("ComplianceAspect", () => {
  test("Compliance: the default Gatehouse stack passes every rule, with only the documented suppressions", () => {
    const stack = defaultStack();
    Testing.synth(stack);
    // Testing.synth strips "//" comments; the real synth keeps them (stack.toTerraform() is what it writes).
    const synthesized = stack.toTerraform();
    const report = stack.compliance.lastReport!;
    expect(report.violations).toEqual([]);
    expect(report.rulesEvaluated).toBe(GATEHOUSE_RULE_PACK.length);
    expect(report.suppressed.map((s) => s.ruleId)).toEqual(["CKV_AZURE_33"]);
    expect(synthesized["//"].gatehouse_compliance.suppressions).toEqual([
      expect.objectContaining({
        ruleId: "CKV_AZURE_33",
        path: "gatehouse/evidence/audit-storage",
        reason: expect.stringContaining("no queues"),
      }),
      // No deployer data-plane role is left to suppress (GH_IAM_3): keys, secrets, tables and the bundle go through ARM.
    ]);
  });

  test("a violation names the rule id, info, control, explanation and construct path", () => {
    let error: unknown;
    try {
      Testing.synth(secret());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ComplianceError);
    const message = (error as Error).message;
    expect(message).toContain("[CKV_AZURE_114] The Key Vault secret has no content type.");
    expect(message).toContain("at test/secret (azurerm_key_vault_secret.secret)");
    expect(message).toContain("control: CC6.1");
    expect(message).toContain("why: A content type tells operators");
  });

  test("every violation is reported at once", () => {
    const stack = nagStack((s) => {
      new StorageAccount(s, "st", { ...RG, name: "st", accountTier: "Standard", accountReplicationType: "LRS" });
    });
    const ids = evaluateCompliance(stack, GATEHOUSE_RULE_PACK).violations.map((v) => v.ruleId);
    expect(ids.length).toBeGreaterThan(8);
    expect(ids).toEqual(expect.arrayContaining(["CKV_AZURE_206", "CKV2_AZURE_40", "CKV_AZURE_59", "GH_DIAG_1"]));
  });

  test("a suppression with a reason silences the rule on its subtree and is recorded in the output", () => {
    // (GH_DEPLOY_1 refuses any data-plane secret: suppressed too, so only the mechanism is under test.)
    const stack = secret((s) =>
      addSuppressions(s, [
        { id: "CKV_AZURE_114", reason: "a test secret whose format is documented in the runbook" },
        { id: "GH_DEPLOY_1", reason: "a data-plane secret kept only to exercise the suppression mechanism" },
      ]),
    );
    Testing.synth(stack);
    expect(stack.toTerraform()["//"].gatehouse_compliance.suppressions).toEqual([
      {
        ruleId: "CKV_AZURE_114",
        reason: "a test secret whose format is documented in the runbook",
        path: "test/secret",
        suppressedAt: "test/secret",
      },
      {
        ruleId: "GH_DEPLOY_1",
        reason: "a data-plane secret kept only to exercise the suppression mechanism",
        path: "test/secret",
        suppressedAt: "test/secret",
      },
    ]);
  });

  test("a suppression without a real reason is refused", () => {
    expect(() => secret((s) => addSuppressions(s, [{ id: "CKV_AZURE_114", reason: "ok" }]))).toThrow(
      /reason of at least/,
    );
  });

  test("a rule that throws counts as a violation", () => {
    const throwing: ComplianceRule = {
      id: "GH_TEST_1",
      info: "test rule",
      explanation: "throws on purpose",
      control: "CC0.0",
      resourceTypes: ["azurerm_key_vault_secret"],
      check: () => {
        throw new Error("cannot read config");
      },
    };
    const stack = nagStack(() => undefined);
    new KeyVaultSecret(stack, "secret", {
      name: "s",
      keyVaultId: "kv",
      value: "v",
      expirationDate: "x",
      contentType: "t",
    });
    const report = evaluateCompliance(stack, [throwing]);
    expect(report.violations).toEqual([expect.objectContaining({ ruleId: "GH_TEST_1", error: "cannot read config" })]);
    const aspect = new ComplianceAspect(stack, [throwing], "t");
    expect(() => aspect.visit(stack)).toThrow(/the rule threw/);
  });

  test("every rule has an id, info, explanation and control, and ids are unique", () => {
    const ids = GATEHOUSE_RULE_PACK.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of GATEHOUSE_RULE_PACK) {
      expect(rule.info.length).toBeGreaterThan(10);
      expect(rule.explanation.length).toBeGreaterThan(30);
      expect(rule.control).toMatch(/^(CC|A)\d/);
    }
  });
});
