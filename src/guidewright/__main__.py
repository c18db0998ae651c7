from guidewright.cli import main

main()
