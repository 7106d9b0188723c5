// cdktf's jest matchers (toHaveResource, toHaveResourceWithProperties, ...): loaded only by the
// `stacks` project, so runtime tests do not pay for cdktf.
import { Testing } from "cdktf";
import "cdktf/lib/testing/adapters/jest";

Testing.setupJest();
