import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { ARCHIVE_SIG, ASSET_SIG, marshalProperties, marshalValue, OUTPUT_VALUE_SIG, RESOURCE_SIG, SECRET_SIG, SIG_KEY, UNKNOWN_VALUE } from "./wire";

describe("wire constants", () => {
  it("equal @pulumi/pulumi's own", () => {
    expect([SIG_KEY, SECRET_SIG, ASSET_SIG, ARCHIVE_SIG, RESOURCE_SIG, OUTPUT_VALUE_SIG, UNKNOWN_VALUE]).toEqual([
      rpc.specialSigKey,
      rpc.specialSecretSig,
      rpc.specialAssetSig,
      rpc.specialArchiveSig,
      rpc.specialResourceSig,
      rpc.specialOutputValueSig,
      rpc.unknownValue,
    ]);
  });
});

describe("marshalValue (engine → analyzer marshalling)", () => {
  const secretOf = (v: unknown) => ({ [SIG_KEY]: SECRET_SIG, value: v });

  it("keeps plain values and unknown sentinels", () => {
    expect(marshalValue({ a: [1, "x", null, true], u: UNKNOWN_VALUE })).toEqual({ a: [1, "x", null, true], u: UNKNOWN_VALUE });
  });

  it("drops internal keys (SkipInternalKeys) and undefined values", () => {
    expect(marshalProperties({ __defaults: ["a"], a: 1, b: undefined, nested: { __meta: "m", c: 2 } })).toEqual({ a: 1, nested: { c: 2 } });
  });

  it("keeps a secret with a value, decodes --show-secrets plaintext, turns ciphertext into an unknown secret", () => {
    expect(marshalValue(secretOf("pw"))).toEqual(secretOf("pw"));
    expect(marshalValue({ [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify({ k: "v" }) })).toEqual(secretOf({ k: "v" }));
    expect(marshalValue({ [SIG_KEY]: SECRET_SIG, ciphertext: "v1:abc" })).toEqual(secretOf(UNKNOWN_VALUE));
  });

  it("flattens resource references to the id (custom) or URN (component)", () => {
    expect(marshalValue({ [SIG_KEY]: RESOURCE_SIG, urn: "urn:a", id: "i-1" })).toBe("i-1");
    expect(marshalValue({ [SIG_KEY]: RESOURCE_SIG, urn: "urn:c" })).toBe("urn:c");
  });

  it("flattens output values, keeping secretness and unknownness", () => {
    expect(marshalValue({ [SIG_KEY]: OUTPUT_VALUE_SIG, value: 3 })).toBe(3);
    expect(marshalValue({ [SIG_KEY]: OUTPUT_VALUE_SIG, value: "s", secret: true })).toEqual(secretOf("s"));
    expect(marshalValue({ [SIG_KEY]: OUTPUT_VALUE_SIG, dependencies: [] })).toBe(UNKNOWN_VALUE);
  });

  it("keeps assets with content; an asset known only by hash is unknown", () => {
    const asset = { [SIG_KEY]: ASSET_SIG, hash: "h", text: "hello" };
    expect(marshalValue(asset)).toEqual(asset);
    expect(marshalValue({ [SIG_KEY]: ASSET_SIG, hash: "h" })).toBe(UNKNOWN_VALUE);
  });

  it("rejects an unknown signature", () => {
    expect(() => marshalValue({ [SIG_KEY]: "nope" })).toThrow(/unrecognized property signature "nope"/);
  });
});
