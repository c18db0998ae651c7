from guidewright.entry import main

main()
