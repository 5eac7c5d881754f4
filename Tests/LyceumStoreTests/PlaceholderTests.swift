import Testing

@testable import LyceumStore

@Test func moduleLoads() { #expect(String(describing: LyceumStore.self) == "LyceumStore") }
