/*:
 # Day 8 is coming

 This lesson is not written yet. See the course README for the plan.
 */
import Course

_ = Lesson.start(day: 8, about: "truncated BPTT: batchify a stream, carry and detach state, perplexity (coming soon)")
print("Day 8 is coming soon: see README.md for the course plan.")
