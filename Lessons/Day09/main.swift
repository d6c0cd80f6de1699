/*:
 # Day 9 is coming

 This lesson is not written yet. See the course README for the plan.
 */
import Course

_ = Lesson.start(day: 9, about: "going deeper: stacked, residual, GRU vs. LSTM, weight tying (coming soon)")
print("Day 9 is coming soon: see README.md for the course plan.")
