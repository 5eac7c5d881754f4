import LyceumCore
import Testing

@Suite struct AddressGroupTests {
  @Test func ipv4IsItself() {
    #expect(AddressGroup.key(for: "192.0.2.7") == "192.0.2.7")
  }

  @Test func ipv6CountsByItsSlash64() {
    let a = AddressGroup.key(for: "2001:db8:0:1::1")
    let b = AddressGroup.key(for: "2001:db8:0:1:ffff:ffff:ffff:fffe")
    let c = AddressGroup.key(for: "2001:db8:0:2::1")
    #expect(a == "2001:db8:0:1::/64")
    #expect(a == b)
    #expect(a != c)
    #expect(AddressGroup.key(for: "::1") == "0:0:0:0::/64")
    #expect(AddressGroup.key(for: "2001:db8::5", ipv6PrefixLength: 48) == "2001:db8:0::/48")
    #expect(
      AddressGroup.key(for: "2001:db8:1234:5678::5", ipv6PrefixLength: 56)
        == "2001:db8:1234:5600::/56")
    #expect(AddressGroup.key(for: "2001:db8::5", ipv6PrefixLength: 128) == "2001:db8::5")
  }

  @Test func malformedTextIsLeftAlone() {
    for text in ["1::2::3", "12345::1", "1:2:3:4:5:6:7:8:9", "g::1", ":::"] {
      #expect(AddressGroup.key(for: text) == text)
    }
  }
}
