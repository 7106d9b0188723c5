/**
 * terraform validate / plan need the azurerm provider download (and plan needs Azure credentials):
 * opt in with GATEHOUSE_TEST_TERRAFORM=1 on a machine that has them.
 */
import { Testing } from "cdktf";
import { defaultStack } from "./support/default-stack";

const optIn = process.env.GATEHOUSE_TEST_TERRAFORM === "1" ? describe : describe.skip;

optIn("terraform (GATEHOUSE_TEST_TERRAFORM=1)", () => {
  test("the synthesized stack is valid Terraform", () => {
    expect(Testing.fullSynth(defaultStack())).toBeValidTerraform();
  });

  test("the synthesized stack plans", () => {
    expect(Testing.fullSynth(defaultStack(process.env))).toPlanSuccessfully();
  });
});
