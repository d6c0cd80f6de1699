import Course
import Testing

@Suite("Statistics") struct StatisticsTests {
    @Test("meanAndSpread: the mean and the sample standard deviation") func meanAndSpreadValues() {
        let (mean, sd) = meanAndSpread([2.0, 4, 4, 4, 5, 5, 7, 9])
        #expect(abs(mean - 5) < 1e-12)
        #expect(abs(sd - (32.0 / 7).squareRoot()) < 1e-12)   // Σ(x − 5)² = 32, n − 1 = 7
        let floats = meanAndSpread([Float(0.25), 0.75])
        #expect(abs(floats.mean - 0.5) < 1e-6 && abs(floats.sd - Float(0.125).squareRoot()) < 1e-6)
    }

    @Test("meanAndSpread: one value has no spread") func singleValue() {
        let (mean, sd) = meanAndSpread([Float(3)])
        #expect(abs(mean - 3) < 1e-6 && abs(sd) < 1e-6)
    }
}
