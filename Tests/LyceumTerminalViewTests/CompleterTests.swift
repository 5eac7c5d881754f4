import LyceumTerminalView
import Testing

@Suite struct CompleterTests {
  let context = CompletionContext(
    nicks: ["bob", "Alice", "alfred", "[Al]", "ALICE"],
    rooms: ["#lyceum", "#Lounge", "&local"],
    commands: ["join", "part", "j", "msg", "me"])

  @Test func nickAtStartOfLineGetsColon() {
    var e = LineEditor(text: "al")
    let changed = e.complete(using: context)
    #expect(changed)
    #expect(e.string == "Alice: ")
    #expect(e.cursor == 7)
  }

  @Test func nickElsewhereGetsSpace() {
    var e = LineEditor(text: "hi al")
    e.complete(using: context)
    #expect(e.string == "hi Alice ")
  }

  @Test func candidatesKeepContextOrderAndFoldDuplicates() {
    let found = Completer.candidates(text: Array("AL"), cursor: 2, context: context)
    #expect(found?.wordStart == 0)
    #expect(found?.candidates == ["Alice: ", "alfred: "])
  }

  @Test func rfc1459CaseMapping() {
    let found = Completer.candidates(text: Array("x {a"), cursor: 4, context: context)
    #expect(found?.candidates == ["[Al] "])
    let tilde = CompletionContext(nicks: ["a~b"])
    #expect(
      Completer.candidates(text: Array("A^"), cursor: 2, context: tilde)?.candidates == ["a~b: "])
  }

  @Test func tabCyclesForwardAndBackwardWithWrapAround() {
    var e = LineEditor(text: "al")
    e.complete(using: context)
    #expect(e.string == "Alice: ")
    e.complete(using: context)
    #expect(e.string == "alfred: ")
    e.complete(using: context)
    #expect(e.string == "Alice: ")
    e.complete(using: context, backward: true)
    #expect(e.string == "alfred: ")
    e.complete(using: context, backward: true)
    #expect(e.string == "Alice: ")
    #expect(e.completion?.candidates == ["Alice: ", "alfred: "])
  }

  @Test func shiftTabFirstPicksTheLastCandidate() {
    var e = LineEditor(text: "al")
    e.complete(using: context, backward: true)
    #expect(e.string == "alfred: ")
  }

  @Test func anyOtherKeyEndsTheCycle() {
    var e = LineEditor(text: "al")
    e.complete(using: context)
    e.insert("x")
    #expect(e.completion == nil)
    #expect(e.string == "Alice: x")
    e.backspace()
    e.backspace()
    e.backspace()
    #expect(e.string == "Alice")
    e.complete(using: context)
    #expect(e.string == "Alice: ")
  }

  @Test func staleStateIsIgnored() {
    var e = LineEditor(text: "al")
    e.complete(using: context)
    var moved = e
    moved.moveLeft()
    #expect(moved.completion == nil)
    moved.end()
    // A fresh completion of "Alice:" finds nothing.
    let changed = moved.complete(using: context)
    #expect(!changed)
    #expect(moved.string == "Alice: ")
  }

  @Test func completesInTheMiddleOfTheLine() {
    var e = LineEditor(text: "hey bo how are you")
    e.home()
    for _ in 0..<6 { e.moveRight() }
    e.complete(using: context)
    #expect(e.string == "hey bob  how are you")
    #expect(e.cursor == 8)
  }

  @Test func commandsOnlyAtStartOfLine() {
    var e = LineEditor(text: "/jo")
    e.complete(using: context)
    #expect(e.string == "/join ")
    var j = LineEditor(text: "/J")
    j.complete(using: context)
    #expect(j.string == "/join ")
    j.complete(using: context)
    #expect(j.string == "/j ")
    var notFirst = LineEditor(text: "say /jo")
    let changed = notFirst.complete(using: context)
    #expect(!changed)
    #expect(notFirst.string == "say /jo")
  }

  @Test func loneSlashListsCommands() {
    let found = Completer.candidates(text: Array("/"), cursor: 1, context: context)
    #expect(found?.candidates == ["/join ", "/part ", "/j ", "/msg ", "/me "])
  }

  @Test func rooms() {
    var e = LineEditor(text: "/join #l")
    e.complete(using: context)
    #expect(e.string == "/join #lyceum ")
    e.complete(using: context)
    #expect(e.string == "/join #Lounge ")
    var amp = LineEditor(text: "&")
    amp.complete(using: context)
    #expect(amp.string == "&local ")
    #expect(Completer.candidates(text: Array("#x"), cursor: 2, context: context) == nil)
  }

  @Test func roomsAreNotNicks() {
    let found = Completer.candidates(text: Array("#b"), cursor: 2, context: context)
    #expect(found == nil)
  }

  @Test func emptyWordOrNoMatchDoesNothing() {
    var e = LineEditor(text: "hello ")
    let afterSpace = e.complete(using: context)
    #expect(!afterSpace)
    #expect(e.string == "hello ")
    var none = LineEditor(text: "zz")
    let noMatch = none.complete(using: context)
    #expect(!noMatch)
    #expect(none.string == "zz")
    var empty = LineEditor()
    let nothing = empty.complete(using: CompletionContext())
    #expect(!nothing)
  }

  @Test func singleCandidateCyclesToItself() {
    var e = LineEditor(text: "b")
    e.complete(using: context)
    e.complete(using: context)
    #expect(e.string == "bob: ")
  }

  @Test func nonASCIINicks() {
    let unicode = CompletionContext(nicks: ["Éloïse", "日本太郎"])
    var e = LineEditor(text: "日本")
    e.complete(using: unicode)
    #expect(e.string == "日本太郎: ")
    var accented = LineEditor(text: "Él")
    accented.complete(using: unicode)
    #expect(accented.string == "Éloïse: ")
  }
}
