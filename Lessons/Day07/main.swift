/*:
 # Day 7 is coming

 This lesson is not written yet. See the course README for the plan.
 */
import Course

_ = Lesson.start(day: 7, about: "optimization: SGD vs. Adam, clipping, schedules, early stopping, checkpoints (coming soon)")
print("Day 7 is coming soon: see README.md for the course plan.")
