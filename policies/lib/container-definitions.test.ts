import { POSTURE_TAGS as INFRA_POSTURE_TAGS } from "../../infra/compute/containerSpec";
import { POSTURE_TAGS } from "./container-definitions";

describe("container posture tags", () => {
  it("use the keys infra/compute declares (the pack keeps its own copy to stay free of @pulumi/aws)", () => {
    for (const [key, tag] of Object.entries(POSTURE_TAGS)) {
      expect(INFRA_POSTURE_TAGS[key as keyof typeof INFRA_POSTURE_TAGS]).toBe(tag);
    }
  });
});
