//! Names, e-mail domains and phone plans of the markets the five providers serve. Realistic
//! data is what makes a demo believable and what exposes collation and Unicode bugs (accents,
//! apostrophes, Cyrillic) long before a real tenant does.

/// A market the population is drawn from; it decides names, e-mail domains, phone numbers,
/// language and country together so that a record is internally consistent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Market {
    /// Nigeria: PressOne's and Pngme's home market.
    Nigeria,
    /// Kenya: Pngme's second market.
    Kenya,
    /// France: Nameshield's customers.
    France,
    /// Russia: ActivePlatform installations.
    Russia,
    /// English-speaking users (UK), everywhere.
    English,
}

impl Market {
    /// Every market, in a fixed order so generation stays deterministic.
    pub const ALL: [Market; 5] = [
        Market::Nigeria,
        Market::Kenya,
        Market::France,
        Market::Russia,
        Market::English,
    ];

    /// ISO 3166 alpha-2 country code, as Rebilly stores it.
    pub fn country(self) -> &'static str {
        match self {
            Market::Nigeria => "NG",
            Market::Kenya => "KE",
            Market::France => "FR",
            Market::Russia => "RU",
            Market::English => "GB",
        }
    }

    /// ISO 639-1 language, as Nameshield stores it.
    pub fn language(self) -> &'static str {
        match self {
            Market::Nigeria | Market::English => "en",
            Market::Kenya => "sw",
            Market::France => "fr",
            Market::Russia => "ru",
        }
    }

    /// ISO 4217 currency, for Rebilly's reporting currency and subscription costs.
    pub fn currency(self) -> &'static str {
        match self {
            Market::Nigeria => "NGN",
            Market::Kenya => "KES",
            Market::France => "EUR",
            Market::Russia => "RUB",
            Market::English => "GBP",
        }
    }

    /// IANA time zone, for Rebilly's preferences.
    pub fn timezone(self) -> &'static str {
        match self {
            Market::Nigeria => "Africa/Lagos",
            Market::Kenya => "Africa/Nairobi",
            Market::France => "Europe/Paris",
            Market::Russia => "Europe/Moscow",
            Market::English => "Europe/London",
        }
    }

    /// Given names, Latin script.
    pub fn first_names(self) -> &'static [&'static str] {
        match self {
            Market::Nigeria => &[
                "Chinedu",
                "Ngozi",
                "Emeka",
                "Aisha",
                "Babajide",
                "Funmilayo",
                "Oluwaseun",
                "Adaeze",
                "Ibrahim",
                "Hauwa",
                "Tunde",
                "Yetunde",
                "Chiamaka",
                "Obinna",
                "Musa",
                "Zainab",
                "Kelechi",
                "Bisi",
                "Segun",
                "Amaka",
                "Hassan",
                "Muhammed",
                "Moses",
            ],
            Market::Kenya => &[
                "Wanjiru", "Kamau", "Achieng", "Otieno", "Njeri", "Brian", "Akinyi", "Kiprono",
                "Wambui", "Omondi", "Chebet", "Faith", "Atieno", "Mutua", "Nyambura", "Kevin",
                "Mercy", "Dennis", "Esther", "Collins",
            ],
            Market::France => &[
                "Camille",
                "Louis",
                "Chloé",
                "Hugo",
                "Léa",
                "Gabriel",
                "Manon",
                "Arthur",
                "Inès",
                "Jules",
                "Élodie",
                "Théo",
                "Zoé",
                "François",
                "Anaïs",
                "Jean-Baptiste",
                "Maël",
                "Noémie",
                "Hélène",
                "Jérôme",
            ],
            Market::Russia => &[
                "Oleg",
                "Dmitry",
                "Anastasia",
                "Sergei",
                "Olga",
                "Ivan",
                "Tatiana",
                "Alexei",
                "Natalia",
                "Mikhail",
                "Ekaterina",
                "Yuri",
                "Svetlana",
                "Pavel",
                "Irina",
                "Andrei",
            ],
            Market::English => &[
                "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Charlie",
                "Sophie", "Thomas", "Grace", "James", "Lily", "William", "Siobhan", "Niamh",
                "Rhys", "Zara", "Mohammed",
            ],
        }
    }

    /// Family names, Latin script.
    pub fn last_names(self) -> &'static [&'static str] {
        match self {
            Market::Nigeria => &[
                "Okafor",
                "Adeyemi",
                "Okonkwo",
                "Abubakar",
                "Balogun",
                "Eze",
                "Nwosu",
                "Ogunleye",
                "Bello",
                "Adebayo",
                "Ibrahim",
                "Olawale",
                "Chukwu",
                "Danjuma",
                "Afolabi",
                "Ali",
                "Aliyu",
                "Nnamdi-Obi",
            ],
            Market::Kenya => &[
                "Kamau", "Otieno", "Mwangi", "Ochieng", "Kariuki", "Njoroge", "Odhiambo",
                "Kiplagat", "Wafula", "Mutiso", "Chege", "Koech", "Onyango", "Wekesa",
            ],
            Market::France => &[
                "Martin",
                "Bernard",
                "Dubois",
                "Thomas",
                "Robert",
                "Richard",
                "Petit",
                "Durand",
                "Leroy",
                "Moreau",
                "Simon",
                "Laurent",
                "Lefèvre",
                "Michel",
                "Féraud",
                "Garnier",
                "de La Tour",
                "N'Diaye",
            ],
            Market::Russia => &[
                "Ivanov",
                "Smirnov",
                "Kuznetsov",
                "Popov",
                "Sokolov",
                "Lebedev",
                "Kozlov",
                "Novikov",
                "Morozov",
                "Petrov",
                "Volkov",
                "Solovyov",
            ],
            Market::English => &[
                "Smith",
                "Jones",
                "Taylor",
                "Brown",
                "Williams",
                "Wilson",
                "Johnson",
                "Davies",
                "Robinson",
                "Wright",
                "Thompson",
                "Evans",
                "Walker",
                "White",
                "O'Brien",
                "Smith-Jones",
            ],
        }
    }

    /// Webmail and ISP domains people of this market use.
    pub fn email_domains(self) -> &'static [&'static str] {
        match self {
            Market::Nigeria => &["gmail.com", "yahoo.com", "outlook.com", "mail.ng"],
            Market::Kenya => &["gmail.com", "yahoo.co.ke", "outlook.com", "mail.co.ke"],
            Market::France => &["orange.fr", "free.fr", "laposte.net", "gmail.com", "sfr.fr"],
            Market::Russia => &["mail.ru", "yandex.ru", "gmail.com", "rambler.ru"],
            Market::English => &[
                "gmail.com",
                "outlook.com",
                "btinternet.com",
                "hotmail.co.uk",
            ],
        }
    }

    /// Country calling code and the mobile prefixes after it, with the count of digits that
    /// follow the prefix, so numbers have the right length for their country.
    pub fn phone_plan(self) -> (&'static str, &'static [&'static str], usize) {
        match self {
            Market::Nigeria => ("234", &["803", "806", "810", "813", "703", "706", "901"], 7),
            Market::Kenya => ("254", &["701", "712", "722", "733", "110"], 6),
            Market::France => ("33", &["6", "7"], 8),
            Market::Russia => ("7", &["903", "915", "926", "985"], 7),
            Market::English => ("44", &["7700", "7911", "7400", "7520"], 6),
        }
    }
}

/// Cyrillic spellings of Russian names, because ActivePlatform installations keep names in the
/// script people typed them in.
pub fn cyrillic(latin: &str) -> Option<&'static str> {
    const PAIRS: [(&str, &str); 28] = [
        ("Oleg", "Олег"),
        ("Dmitry", "Дмитрий"),
        ("Anastasia", "Анастасия"),
        ("Sergei", "Сергей"),
        ("Olga", "Ольга"),
        ("Ivan", "Иван"),
        ("Tatiana", "Татьяна"),
        ("Alexei", "Алексей"),
        ("Natalia", "Наталья"),
        ("Mikhail", "Михаил"),
        ("Ekaterina", "Екатерина"),
        ("Yuri", "Юрий"),
        ("Svetlana", "Светлана"),
        ("Pavel", "Павел"),
        ("Irina", "Ирина"),
        ("Andrei", "Андрей"),
        ("Ivanov", "Иванов"),
        ("Smirnov", "Смирнов"),
        ("Kuznetsov", "Кузнецов"),
        ("Popov", "Попов"),
        ("Sokolov", "Соколов"),
        ("Lebedev", "Лебедев"),
        ("Kozlov", "Козлов"),
        ("Novikov", "Новиков"),
        ("Morozov", "Морозов"),
        ("Petrov", "Петров"),
        ("Volkov", "Волков"),
        ("Solovyov", "Соловьёв"),
    ];
    PAIRS.iter().find(|(l, _)| *l == latin).map(|(_, c)| *c)
}

/// Russian feminine given names, whose family names take the `-a` ending.
pub fn is_russian_feminine(first: &str) -> bool {
    matches!(
        first,
        "Anastasia" | "Olga" | "Tatiana" | "Natalia" | "Ekaterina" | "Svetlana" | "Irina"
    )
}

/// The ASCII form of a name for an e-mail local part: accents dropped, spaces, apostrophes
/// and hyphens removed, lower case. Unknown characters are dropped, never a panic.
pub fn email_local(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let mapped = match c {
            'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' => "a",
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => "e",
            'î' | 'ï' | 'í' | 'Î' => "i",
            'ô' | 'ö' | 'ó' | 'Ô' => "o",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'ç' | 'Ç' => "c",
            _ if c.is_ascii_alphanumeric() => {
                out.push(c.to_ascii_lowercase());
                continue;
            }
            _ => "",
        };
        out.push_str(mapped);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_local_parts_are_plain_ascii() {
        assert_eq!(email_local("Élodie"), "elodie");
        assert_eq!(email_local("N'Diaye"), "ndiaye");
        assert_eq!(email_local("de La Tour"), "delatour");
        assert_eq!(email_local("Jean-Baptiste"), "jeanbaptiste");
        assert_eq!(email_local("Олег"), "");
    }

    #[test]
    fn every_russian_name_has_a_cyrillic_form() {
        let market = Market::Russia;
        for name in market.first_names().iter().chain(market.last_names()) {
            assert!(cyrillic(name).is_some(), "{name}");
        }
    }
}
