import Course
import Testing
import Torchlet

/// The lessons' printing helpers: numbers, shares, id lists, columns, and a packed batch as PyTorch prints it.
@Suite struct FormattingTests {
    @Test func numbersAndShares() {
        #expect(format(0.04512) == "0.045")
        #expect(format(Float(1.5), 1) == "1.5")
        #expect(percent(0.1234) == "12.3%")
        #expect(percent(0.5, 0) == "50%")
    }

    @Test func idListsPrintAsIntegers() {
        #expect(listed([1, 2, 30]) == "[1, 2, 30]")
        #expect(listed([1, 2.5]) == "[1, 2.5000]")
        #expect(listed([]) == "[]")
    }

    @Test func columnsAlignRight() {
        #expect("42".leftPadded(5) == "   42")
        #expect("toolong".leftPadded(3) == "toolong")
    }

    @Test func aPackedSequenceReadsAsPyTorchPrintsIt() {
        let packed = packSequence([[1, 2, 3], [1, 2, 3, 4], [1, 2, 3, 4, 5]], enforceSorted: false)
        #expect(describe(packed) == "PackedSequence(data=[1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5], batchSizes=[3, 3, 3, 2, 1], "
                + "sortedIndices=[2, 1, 0], unsortedIndices=[2, 1, 0])")
        let sorted = packSequence([[1, 2], [3]], enforceSorted: true)
        #expect(describe(sorted).hasSuffix("sortedIndices=nil, unsortedIndices=nil)"))
    }
}
