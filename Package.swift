// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "Lyceum",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "lyceumd", targets: ["lyceumd"]),
    .executable(name: "lyceum-bench", targets: ["lyceum-bench"]),
    .executable(name: "lyceum", targets: ["lyceum"]),
    .library(name: "LyceumClient", targets: ["LyceumClient"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    .systemLibrary(
      name: "COpenSSL",
      pkgConfig: "openssl",
      providers: [.apt(["libssl-dev"])]
    ),
    // ncursesw without pkgConfig: its pkg-config flags are refused by SwiftPM; the shim sets the
    // wide-character defines instead (see clients/terminal/README.md).
    .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),
    // libpq, PostgreSQL's C client: the PostgreSQL stores (see Sources/LyceumPostgres).
    .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
    .target(name: "LyceumProtocol"),
    .target(name: "LyceumCore", dependencies: ["LyceumProtocol"]),
    .target(
      name: "LyceumTransport",
      dependencies: ["COpenSSL", .product(name: "Logging", package: "swift-log")]
    ),
    .target(name: "LyceumAccounts", dependencies: ["COpenSSL", "LyceumCore", "LyceumProtocol"]),
    .target(
      name: "LyceumStore",
      dependencies: [
        "LyceumCore", "LyceumProtocol", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ]
    ),
    .target(
      name: "LyceumPostgres",
      dependencies: ["CLibPQ", "LyceumCore", "LyceumProtocol", "LyceumStore"]
    ),
    .target(
      name: "LyceumServer",
      dependencies: [
        "LyceumProtocol", "LyceumCore", "LyceumTransport", "LyceumAccounts", "LyceumStore",
        "LyceumPostgres",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    .executableTarget(
      name: "lyceumd",
      dependencies: [
        "LyceumServer", "LyceumAccounts", "LyceumCore", "LyceumStore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .target(
      name: "LyceumClient",
      dependencies: [
        "COpenSSL", "LyceumProtocol", "LyceumTransport", "LyceumAccounts", "LyceumCore",
      ]
    ),
    .target(
      name: "LyceumTerminalView", dependencies: ["LyceumProtocol"], path: "clients/terminal/View"),
    .target(
      name: "LyceumTerminalScreen", dependencies: ["LyceumClient", "LyceumTerminalView"],
      path: "clients/terminal/Screen"),
    .executableTarget(
      name: "lyceum",
      dependencies: [
        "CNcursesw", "LyceumClient", "LyceumTerminalView", "LyceumTerminalScreen",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "clients/terminal/App"
    ),
    .executableTarget(
      name: "lyceum-bench",
      dependencies: [
        "COpenSSL", "LyceumClient", "LyceumCore", "LyceumProtocol", "LyceumStore",
        "LyceumPostgres", "LyceumTransport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(
      name: "LyceumProtocolTests",
      dependencies: ["LyceumProtocol", .product(name: "Yams", package: "Yams")]
    ),
    .testTarget(name: "LyceumCoreTests", dependencies: ["LyceumCore", "LyceumProtocol"]),
    .testTarget(
      name: "LyceumAccountsTests",
      dependencies: ["LyceumAccounts", "LyceumCore", "LyceumProtocol", "COpenSSL"]),
    .testTarget(
      name: "LyceumStoreTests",
      dependencies: [
        "LyceumStore", "LyceumCore", "LyceumProtocol", "LyceumPostgres",
        .product(name: "GRDB", package: "GRDB.swift"),
      ]
    ),
    .testTarget(
      name: "LyceumTransportTests", dependencies: ["LyceumTransport", "LyceumClient", "COpenSSL"]),
    .testTarget(
      name: "LyceumClientTests",
      dependencies: ["LyceumClient", "LyceumProtocol", "LyceumServer", "LyceumTransport"]
    ),
    .testTarget(name: "LyceumTerminalViewTests", dependencies: ["LyceumTerminalView"]),
    .testTarget(
      name: "LyceumTerminalScreenTests",
      dependencies: ["LyceumTerminalScreen", "LyceumTerminalView", "LyceumClient"]),
    .testTarget(
      name: "LyceumServerTests",
      dependencies: [
        "LyceumServer", "LyceumCore", "LyceumProtocol", "LyceumTransport", "LyceumAccounts",
        "LyceumStore", "LyceumClient", "COpenSSL", "LyceumPostgres",
      ]
    ),
  ],
  swiftLanguageModes: [.v6]
)
