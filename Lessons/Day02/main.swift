/*:
 # Day 2 is coming

 This lesson is not written yet. See the course README for the plan.
 */
print("Day 2 is coming soon: see README.md for the course plan.")
