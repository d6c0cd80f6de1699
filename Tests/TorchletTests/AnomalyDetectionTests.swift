import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// `withAnomalyDetection`: off by default; inside it, the first operation
/// whose forward or backward makes a NaN or an infinity stops the program
/// with a message naming the operation and its shapes (exit tests).
@Suite struct AnomalyDetectionTests {
    @Test func offByDefaultAndOnlyInsideTheBlock() {
        #expect(!AnomalyMode.isEnabled)
        withAnomalyDetection {
            #expect(AnomalyMode.isEnabled)
            withNoGrad { #expect(AnomalyMode.isEnabled, "no-grad does not turn it off") }
        }
        #expect(!AnomalyMode.isEnabled)
        // Off, a NaN goes through silently, as in PyTorch.
        let y = (Tensor([0, 1]).log() * 0).scalars
        #expect(y[0].isNaN && y[1] == 0)
    }

    @Test func finiteWorkRunsUnchanged() {
        let x = Tensor([1, 2, 3], requiresGrad: true)
        let y = withAnomalyDetection { () -> Tensor in
            let y = (x.log() * x).sum()
            y.backward()
            return y
        }
        #expect(abs(y.item - (2 * Foundation.log(Float(2)) + 3 * Foundation.log(Float(3)))) < 1e-5)
        #expect(x.grad != nil)
    }

    @Test func forwardNamesTheOperationThatMadeIt() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            withAnomalyDetection {
                let x = Tensor([[1, 0, 2], [3, 4, 5]])
                _ = (x * 2).log()
            }
        }
        expectStandardError(result, contains: [
            "anomaly detection: log produced -inf (1 of 6 values non-finite, the first at index 1) in its output [2, 3] "
                + "in the forward pass; inputs [2, 3]; every input was finite, so log made it",
        ])
    }

    @Test func forwardSaysWhenTheNaNCameFromTheData() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            withAnomalyDetection {
                _ = Tensor([1, .nan, 3]) + Tensor([1, 1, 1])
            }
        }
        expectStandardError(result, contains: [
            "anomaly detection: add produced nan", "inputs [3], [3]; input 0 already held nan",
            "it is data, a parameter, or was computed outside withAnomalyDetection",
        ])
    }

    @Test func backwardNamesTheOperationThatMadeIt() async {
        // √x is finite at 0, its derivative 1/(2√x) is not.
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor([0, 1, 4], requiresGrad: true)
            withAnomalyDetection {
                (x.sqrt() * 3).sum().backward()
            }
        }
        expectStandardError(result, contains: [
            "anomaly detection: the backward of sqrt returned inf (1 of 3 values non-finite, the first at index 0) "
                + "in the gradient for input 0 [3], from a finite incoming gradient; sqrt: inputs [3] → output [3]",
        ])
    }

    @Test func backwardChecksTheGivenGradient() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor([1, 2], requiresGrad: true)
            withAnomalyDetection {
                (x * 2).backward(gradient: Tensor([1, .infinity]))
            }
        }
        expectStandardError(result, contains: [
            "anomaly detection: the gradient flowing into mul holds inf", "(it is the gradient given to backward)",
        ])
    }

    @Test func theLSTMKernelIsChecked() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let lstm = LSTM(inputSize: 2, hiddenSize: 3, generator: Generator(seed: 1))
            lstm.parameters()[0].scalars[0] = .nan
            withAnomalyDetection {
                _ = lstm(Tensor.ones([4, 1, 2]))
            }
        }
        expectStandardError(result, contains: ["anomaly detection: LSTM produced nan", "input 3 already held nan"])
    }

    @Test func nonFiniteDescriptions() {
        #expect(NonFinite([1, 2]) == nil)
        #expect(NonFinite([]) == nil)
        #expect(NonFinite([1, -.infinity, .nan])?.description == "-inf (2 of 3 values non-finite, the first at index 1)")
    }
}
