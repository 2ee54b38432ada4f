import Foundation

// SwiftPM generates `Bundle.module` for OptimKit; the fuzz builds compile a few OptimKit
// files directly with swiftc, so they provide a stand-in. No fuzz target reads resources.
extension Bundle {
    static let module = Bundle.main
}
