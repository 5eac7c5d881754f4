import Testing

@testable import LyceumAccounts

@Test func moduleLoads() { #expect(String(describing: LyceumAccounts.self) == "LyceumAccounts") }
