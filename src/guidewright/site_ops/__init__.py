"""Operations on a whole site: its tags, its prerequisite graph, its report."""
