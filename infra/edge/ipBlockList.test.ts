import { blockListProblems, cidrProblem, MAX_IP_SET_ADDRESSES, parseCidr } from "./ipBlockList";

describe("parseCidr", () => {
  it.each([
    ["203.0.113.7/32", "ipv4", 32],
    ["198.51.100.0/24", "ipv4", 24],
    ["2001:db8::/32", "ipv6", 32],
    ["2001:db8:0:0:0:0:0:1/128", "ipv6", 128],
    ["2a01:4f8:c0c:1234::/64", "ipv6", 64],
    ["::ffff:203.0.113.7/128", "ipv6", 128],
  ])("reads %s as %s /%d", (text, family, prefix) => {
    expect(parseCidr(text)).toMatchObject({ family, prefix });
  });

  it.each([
    "203.0.113.7",
    "203.0.113.7/33",
    "203.0.113/24",
    "256.0.0.1/32",
    "2001:db8::/129",
    "2001:db8:::1/128",
    "example.com/32",
    " 203.0.113.7/32",
    "203.0.113.7/032",
  ])("rejects %j", (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe("cidrProblem", () => {
  it.each([
    ["203.0.113.7/32", "ipv4"],
    ["198.51.100.0/24", "ipv4"],
    ["45.83.64.0/22", "ipv4"],
    ["1.0.0.0/8", "ipv4"],
    ["2001:db8::/32", "ipv6"],
    ["2a01:4f8:c0c:1234::/64", "ipv6"],
    ["2001:db8::7/128", "ipv6"],
  ] as const)("accepts the public range %s (%s)", (cidr, family) => {
    expect(cidrProblem(cidr, family)).toBeUndefined();
  });

  it.each([
    ["203.0.113.7", "ipv4", "must be an IPv4 CIDR block such as 203.0.113.7/32 (a single address needs /32)"],
    ["2001:db8::1", "ipv6", "must be an IPv6 CIDR block such as 2001:db8::7/128 (a single address needs /128)"],
    ["2001:db8::/32", "ipv4", "is an IPv6 range: list it in the IPv6 block list"],
    ["203.0.113.0/24", "ipv6", "is an IPv4 range: list it in the IPv4 block list"],
    ["203.0.113.7/24", "ipv4", "has host bits set: write the network address 203.0.113.0/24, or 203.0.113.7/32 for the one address"],
    ["2001:db8::7/64", "ipv6", "has host bits set: write the network address 2001:db8::/64, or 2001:db8::7/128 for the one address"],
    ["0.0.0.0/0", "ipv4", "is broader than /8: it would block a large part of the internet"],
    ["64.0.0.0/7", "ipv4", "is broader than /8"],
    ["2000::/3", "ipv6", "is broader than /16"],
    ["10.1.2.3/32", "ipv4", "overlaps 10.0.0.0/8 (private network, RFC 1918), which is not a public range"],
    ["172.20.0.0/16", "ipv4", "overlaps 172.16.0.0/12 (private network, RFC 1918)"],
    ["192.168.1.10/32", "ipv4", "overlaps 192.168.0.0/16 (private network, RFC 1918)"],
    ["100.64.0.1/32", "ipv4", "overlaps 100.64.0.0/10 (shared address space, carrier-grade NAT)"],
    ["127.0.0.1/32", "ipv4", "overlaps 127.0.0.0/8 (loopback)"],
    ["169.254.169.254/32", "ipv4", "overlaps 169.254.0.0/16 (link-local)"],
    ["224.0.0.0/8", "ipv4", "overlaps 224.0.0.0/4 (multicast)"],
    ["255.255.255.255/32", "ipv4", "overlaps 240.0.0.0/4 (reserved)"],
    [
      "::1/128",
      "ipv6",
      "is not a public IPv6 range (global unicast 2000::/3): loopback, link-local, unique-local, multicast and IPv4-mapped addresses never reach the load balancer",
    ],
    ["fd12:3456:789a::/48", "ipv6", "is not a public IPv6 range"],
    ["fe80::1/128", "ipv6", "is not a public IPv6 range"],
  ] as const)("rejects %s as %s: %s", (cidr, family, problem) => {
    expect(cidrProblem(cidr, family)).toContain(problem);
  });
});

describe("blockListProblems", () => {
  it("accepts an empty list and a list of distinct public ranges", () => {
    expect(blockListProblems([], "ipv4")).toEqual([]);
    expect(blockListProblems(["203.0.113.7/32", "198.51.100.0/24"], "ipv4")).toEqual([]);
  });

  it("names every bad item, and duplicates (also when written differently)", () => {
    expect(blockListProblems(["203.0.113.7/32", "10.0.0.1/32", "203.0.113.7/32"], "ipv4")).toEqual([
      'item 1 "10.0.0.1/32" overlaps 10.0.0.0/8 (private network, RFC 1918), which is not a public range',
      'item 2 "203.0.113.7/32" repeats item 0',
    ]);
    expect(blockListProblems(["2001:db8::7/128", "2001:0db8:0:0:0:0:0:7/128"], "ipv6")).toEqual(['item 1 "2001:0db8:0:0:0:0:0:7/128" repeats item 0']);
  });

  it(`refuses more than ${MAX_IP_SET_ADDRESSES} ranges, the most a WAF IP set holds`, () => {
    const many = Array.from({ length: MAX_IP_SET_ADDRESSES + 1 }, (_, i) => `11.${Math.floor(i / 256) % 256}.${i % 256}.0/24`);
    expect(blockListProblems(many.slice(0, MAX_IP_SET_ADDRESSES), "ipv4")).toEqual([]);
    expect(blockListProblems(many, "ipv4")).toEqual([`has ${MAX_IP_SET_ADDRESSES + 1} ranges; a WAF IP set holds at most ${MAX_IP_SET_ADDRESSES}`]);
  });
});
