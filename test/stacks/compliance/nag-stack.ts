/**
 * Small stacks for rule tests (cdk-nag style): a provider, the rule pack as an Aspect, and whatever
 * resources a case needs. `ruleIds` evaluates without throwing, so a "Compliance" case can assert
 * that one rule stays quiet while others fire on the deliberately minimal stack.
 */
import { Aspects, Testing, TerraformStack } from "cdktf";
import { AzurermProvider, type AzurermProviderConfig } from "@cdktf/provider-azurerm/lib/provider";
import { gatehouseAzurermProvider } from "../../../stacks/azurerm-provider";
import { ComplianceAspect, GATEHOUSE_RULE_PACK, evaluateCompliance } from "../../../stacks/compliance";

export const RG = { resourceGroupName: "rg", location: "westeurope" };

/** The stack's own (compliant) provider, unless a case gives its own provider configuration. */
export function nagStack(build: (stack: TerraformStack) => void, provider?: AzurermProviderConfig): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "test");
  if (provider) new AzurermProvider(stack, "azurerm", provider);
  else
    gatehouseAzurermProvider(stack, "azurerm", {
      subscriptionId: "00000000-0000-0000-0000-000000000000",
      tenantId: "00000000-0000-0000-0000-000000000000",
    });
  build(stack);
  Aspects.of(stack).add(new ComplianceAspect(stack, GATEHOUSE_RULE_PACK, "test"));
  return stack;
}

export function ruleIds(stack: TerraformStack): string[] {
  return evaluateCompliance(stack, GATEHOUSE_RULE_PACK).violations.map((v) => v.ruleId);
}

/** Synth must fail naming the rule id. */
export function expectSynthFails(stack: TerraformStack, ruleId: string): void {
  expect(() => Testing.synth(stack)).toThrow(`[${ruleId}]`);
}
