"""Curated trades common in institutions' production and training, each with
its ISCO-08 unit-group code. Administrators edit the list in the app; this is
the starting set loaded by ``flask seed-demo`` and ``load_trades()``."""

# (code, English name, Russian name, ISCO-08 unit group)
TRADES: list[tuple[str, str, str, str]] = [
    ("cook", "Cook", "Повар", "5120"),
    ("kitchen_helper", "Kitchen helper", "Кухонный рабочий", "9412"),
    ("food_preparer", "Food preparation assistant", "Помощник повара", "9411"),
    ("baker", "Baker", "Пекарь", "7512"),
    ("butcher", "Butcher", "Мясник", "7511"),
    ("dairy_maker", "Dairy products maker", "Изготовитель молочной продукции", "7513"),
    ("food_machine_operator", "Food processing machine operator",
     "Оператор оборудования пищевого производства", "8160"),
    ("tailor", "Tailor", "Портной", "7531"),
    ("sewing_operator", "Sewing machine operator", "Швея-мотористка", "8153"),
    ("pattern_maker", "Garment pattern-maker", "Закройщик", "7532"),
    ("embroiderer", "Embroiderer", "Вышивальщица", "7533"),
    ("upholsterer", "Upholsterer", "Обойщик мебели", "7534"),
    ("shoemaker", "Shoemaker", "Сапожник", "7536"),
    ("shoe_machine_operator", "Shoemaking machine operator",
     "Оператор обувного оборудования", "8156"),
    ("leather_preparer", "Leather preparing machine operator",
     "Оператор по обработке кожи", "8155"),
    ("knitting_operator", "Weaving and knitting machine operator",
     "Оператор ткацких и вязальных машин", "8152"),
    ("carpenter", "Carpenter and joiner", "Плотник-столяр", "7115"),
    ("cabinet_maker", "Cabinet-maker", "Краснодеревщик", "7522"),
    ("woodworking_machinist", "Woodworking machine operator", "Станочник деревообработки", "7523"),
    ("wood_treater", "Wood treater", "Обработчик древесины", "7521"),
    ("sawmill_operator", "Sawmill operator", "Оператор лесопильного оборудования", "8172"),
    ("wood_craftsman", "Handicraft worker in wood", "Резчик по дереву", "7317"),
    ("bricklayer", "Bricklayer", "Каменщик", "7112"),
    ("stonemason", "Stonemason", "Камнетёс", "7113"),
    ("concrete_worker", "Concrete placer", "Бетонщик", "7114"),
    ("plasterer", "Plasterer", "Штукатур", "7123"),
    ("roofer", "Roofer", "Кровельщик", "7121"),
    ("tiler", "Floor layer and tiler", "Плиточник", "7122"),
    ("painter", "Building painter", "Маляр", "7131"),
    ("glazier", "Glazier", "Стекольщик", "7125"),
    ("plumber", "Plumber and pipe fitter", "Сантехник", "7126"),
    ("hvac_mechanic", "Air-conditioning and refrigeration mechanic",
     "Механик холодильных установок", "7127"),
    ("construction_labourer", "Building construction labourer",
     "Подсобный рабочий-строитель", "9313"),
    ("concrete_products_operator", "Concrete products machine operator",
     "Оператор производства ЖБИ", "8114"),
    ("welder", "Welder", "Сварщик", "7212"),
    ("sheet_metal_worker", "Sheet-metal worker", "Жестянщик", "7213"),
    ("metal_structure_fitter", "Structural metal preparer and erector",
     "Монтажник металлоконструкций", "7214"),
    ("blacksmith", "Blacksmith", "Кузнец", "7221"),
    ("locksmith", "Locksmith and toolmaker", "Слесарь", "7222"),
    ("turner", "Metal turner and machine tool setter", "Токарь", "7223"),
    ("metal_polisher", "Metal polisher and tool grinder", "Шлифовщик", "7224"),
    ("car_mechanic", "Motor vehicle mechanic", "Автослесарь", "7231"),
    ("agri_mechanic", "Agricultural machinery mechanic", "Механик сельхозтехники", "7233"),
    ("electrician", "Building electrician", "Электромонтёр", "7411"),
    ("electrical_mechanic", "Electrical mechanic", "Электромеханик", "7412"),
    ("electronics_mechanic", "Electronics mechanic", "Радиомеханик", "7421"),
    ("machinery_assembler", "Mechanical machinery assembler", "Сборщик механизмов", "8211"),
    ("electrical_assembler", "Electrical equipment assembler",
     "Сборщик электрооборудования", "8212"),
    ("plastics_operator", "Plastic products machine operator",
     "Оператор производства изделий из пластмасс", "8142"),
    ("rubber_operator", "Rubber products machine operator",
     "Оператор производства резиновых изделий", "8141"),
    ("paper_products_operator", "Paper products machine operator",
     "Оператор производства изделий из бумаги", "8143"),
    ("printer", "Printer", "Печатник", "7322"),
    ("bookbinder", "Bookbinder", "Переплётчик", "7323"),
    ("potter", "Potter", "Гончар", "7314"),
    ("textile_craftsman", "Handicraft worker in textiles", "Мастер по текстилю", "7318"),
    ("boiler_operator", "Boiler operator (stoker)", "Оператор котельной", "8182"),
    ("kiln_operator", "Glass and ceramics kiln operator", "Обжигальщик", "8181"),
    ("car_driver", "Car driver", "Водитель автомобиля", "8322"),
    ("truck_driver", "Heavy truck driver", "Водитель грузового автомобиля", "8332"),
    ("forklift_operator", "Forklift operator", "Водитель погрузчика", "8344"),
    ("earthmoving_operator", "Earthmoving plant operator", "Машинист землеройной техники", "8342"),
    ("crop_grower", "Field crop grower", "Растениевод", "6111"),
    ("gardener", "Gardener and nursery grower", "Садовник", "6113"),
    ("livestock_farmer", "Livestock farmer", "Животновод", "6121"),
    ("poultry_farmer", "Poultry farmer", "Птицевод", "6122"),
    ("beekeeper", "Beekeeper", "Пчеловод", "6123"),
    ("farm_labourer", "Crop farm labourer", "Рабочий растениеводства", "9211"),
    ("livestock_labourer", "Livestock farm labourer", "Рабочий животноводства", "9212"),
    ("forestry_worker", "Forestry worker", "Рабочий лесного хозяйства", "6210"),
    ("cleaner", "Cleaner", "Уборщик", "9112"),
    ("laundry_worker", "Laundry worker", "Рабочий прачечной", "9121"),
    ("laundry_machine_operator", "Laundry machine operator", "Оператор стиральных машин", "8157"),
    ("vehicle_cleaner", "Vehicle cleaner", "Мойщик автомобилей", "9122"),
    ("caretaker", "Building caretaker", "Рабочий по обслуживанию зданий", "5153"),
    ("hairdresser", "Hairdresser", "Парикмахер", "5141"),
    ("storekeeper", "Storekeeper", "Кладовщик", "4321"),
    ("data_entry_clerk", "Data entry clerk", "Оператор ввода данных", "4132"),
    ("ict_support", "ICT user support technician", "Техник поддержки пользователей ИКТ", "3512"),
    ("packer", "Hand packer", "Упаковщик", "9321"),
    ("manufacturing_labourer", "Manufacturing labourer", "Подсобный рабочий производства", "9329"),
]


def load_trades() -> int:
    """Insert the curated trades that are missing; returns how many were added."""
    from app.extensions import db
    from app.taxonomy.models import Trade

    known = set(db.session.scalars(db.select(Trade.code)))
    missing = [
        Trade(code=code, name_en=en, name_ru=ru, isco_code=isco)
        for code, en, ru, isco in TRADES
        if code not in known
    ]
    db.session.add_all(missing)
    db.session.flush()
    return len(missing)
