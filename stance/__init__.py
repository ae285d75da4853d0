"""stance: topic and stance toward US military presence abroad in Vietnamese news."""
